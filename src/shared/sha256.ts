// Digests of short texts. In the compiled binary, bun's native hasher: importing
// node:crypto there costs ~3 ms of startup on every directory change. Under
// plain Node, node:crypto, loaded only when a hash is needed.
type Encoding = "hex" | "base64url";
type Algorithm = "sha256" | "md5";
declare const Bun: { CryptoHasher: new (algorithm: Algorithm) => { update(text: string): { digest(encoding: Encoding): string } } } | undefined;

function digest(algorithm: Algorithm, text: string, encoding: Encoding): string {
  // The hasher encodes by itself: Buffer, loaded on first use, would cost another 0.15 ms.
  if (typeof Bun !== "undefined") return new Bun.CryptoHasher(algorithm).update(text).digest(encoding);
  const crypto = process.getBuiltinModule("node:crypto") as typeof import("node:crypto");
  return crypto.createHash(algorithm).update(text).digest(encoding);
}

export function sha256(text: string, encoding: Encoding = "hex"): string {
  return digest("sha256", text, encoding);
}

/** Only to name folders as PDM does; never for security. */
export function md5(text: string, encoding: Encoding = "hex"): string {
  return digest("md5", text, encoding);
}
