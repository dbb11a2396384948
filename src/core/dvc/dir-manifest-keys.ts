/**
 * Where a `.dir` object lives inside a DVC cache or remote, newest layout first:
 * DVC 3 `files/md5/ab/cdef....dir`, then DVC 1/2 `ab/cdef....dir`.
 */
export function dirManifestKeys(hash: string): string[] {
  const head = hash.slice(0, 2);
  const tail = hash.slice(2);
  return [`files/md5/${head}/${tail}`, `${head}/${tail}`];
}
