import { err, ok, type Result } from "../core/result.js";

/** The header of an ONNX `ModelProto`: what onnxruntime does not expose (opsets, metadata_props). */
export interface OnnxModelProto {
  readonly irVersion: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly modelVersion: number;
  readonly graphName: string;
  /** Opset per domain; the default domain is `""` (ai.onnx). */
  readonly opsets: ReadonlyMap<string, number>;
  readonly metadataProps: ReadonlyMap<string, string>;
}

// Field numbers from onnx/onnx.proto3.
const MODEL = { irVersion: 1, producerName: 2, producerVersion: 3, modelVersion: 5, graph: 7, opsetImport: 8, metadataProps: 14 } as const;
const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

/**
 * Reads the top level of an ONNX model file (protobuf wire format) without a protobuf library:
 * scalar fields, `opset_import`, `metadata_props` and the graph's name. Sub-messages it does
 * not need (the graph's nodes and weights) are skipped, not parsed. Never throws.
 */
export function readOnnxModelProto(bytes: Uint8Array): Result<OnnxModelProto, string> {
  try {
    return ok(readModel(bytes));
  } catch (e) {
    return err(`not an ONNX model (${(e as Error).message})`);
  }
}

function readModel(bytes: Uint8Array): OnnxModelProto {
  let irVersion = 0;
  let producerName = "";
  let producerVersion = "";
  let modelVersion = 0;
  let graphName = "";
  let sawGraph = false;
  const opsets = new Map<string, number>();
  const metadataProps = new Map<string, string>();
  for (const f of fields(bytes, 0, bytes.length)) {
    if (f.number === MODEL.irVersion && f.wire === WIRE.varint) irVersion = f.value;
    else if (f.number === MODEL.producerName && f.wire === WIRE.bytes) producerName = text(bytes, f);
    else if (f.number === MODEL.producerVersion && f.wire === WIRE.bytes) producerVersion = text(bytes, f);
    else if (f.number === MODEL.modelVersion && f.wire === WIRE.varint) modelVersion = f.value;
    else if (f.number === MODEL.graph && f.wire === WIRE.bytes) {
      sawGraph = true;
      for (const g of fields(bytes, f.start, f.end)) if (g.number === 2 && g.wire === WIRE.bytes) graphName = text(bytes, g);
    } else if (f.number === MODEL.opsetImport && f.wire === WIRE.bytes) {
      let domain = "";
      let version = 0;
      for (const o of fields(bytes, f.start, f.end)) {
        if (o.number === 1 && o.wire === WIRE.bytes) domain = text(bytes, o);
        else if (o.number === 2 && o.wire === WIRE.varint) version = o.value;
      }
      opsets.set(domain, version);
    } else if (f.number === MODEL.metadataProps && f.wire === WIRE.bytes) {
      let key = "";
      let value = "";
      for (const p of fields(bytes, f.start, f.end)) {
        if (p.number === 1 && p.wire === WIRE.bytes) key = text(bytes, p);
        else if (p.number === 2 && p.wire === WIRE.bytes) value = text(bytes, p);
      }
      metadataProps.set(key, value);
    }
  }
  if (!sawGraph) throw new Error("no graph");
  if (irVersion === 0) throw new Error("no ir_version");
  return { irVersion, producerName, producerVersion, modelVersion, graphName, opsets, metadataProps };
}

interface Field {
  readonly number: number;
  readonly wire: number;
  /** The varint value (wire type 0); else 0. */
  readonly value: number;
  /** The payload's byte range (wire type 2). */
  readonly start: number;
  readonly end: number;
}

function* fields(bytes: Uint8Array, start: number, end: number): Generator<Field> {
  let at = start;
  while (at < end) {
    const [key, afterKey] = varint(bytes, at, end);
    const number = Math.floor(key / 8);
    const wire = key % 8;
    if (number === 0) throw new Error(`field number 0 at byte ${at}`);
    at = afterKey;
    if (wire === WIRE.varint) {
      const [value, next] = varint(bytes, at, end);
      yield { number, wire, value, start: at, end: next };
      at = next;
    } else if (wire === WIRE.bytes) {
      const [length, next] = varint(bytes, at, end);
      if (next + length > end) throw new Error(`field ${number} runs past the end (byte ${at})`);
      yield { number, wire, value: 0, start: next, end: next + length };
      at = next + length;
    } else if (wire === WIRE.fixed64 || wire === WIRE.fixed32) {
      at += wire === WIRE.fixed64 ? 8 : 4;
      if (at > end) throw new Error(`field ${number} runs past the end`);
    } else {
      throw new Error(`unsupported wire type ${wire} at byte ${at}`);
    }
  }
}

/** A base-128 varint; values past 2^53 lose precision, which no field read here reaches. */
function varint(bytes: Uint8Array, start: number, end: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let at = start; at < end && at - start < 10; at++) {
    const byte = bytes[at]!;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) return [value, at + 1];
  }
  throw new Error(`bad varint at byte ${start}`);
}

const decoder = new TextDecoder("utf-8", { fatal: true });

function text(bytes: Uint8Array, f: Field): string {
  return decoder.decode(bytes.subarray(f.start, f.end));
}
