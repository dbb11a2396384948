import type { Exchange } from "./github-contract.js";

export function checkCloudRunExchange(_exchange: Exchange): string[] {
  return [];
}
