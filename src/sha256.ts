// SHA-256 of a short text. In the compiled binary, bun's native hasher: importing
// node:crypto there costs ~3 ms of startup on every directory change. Under
// plain Node, node:crypto, loaded only when a hash is needed.
declare const Bun: { CryptoHasher: new (algorithm: "sha256") => { update(text: string): { digest(encoding: "hex"): string } } } | undefined;

export function sha256(text: string): string {
  if (typeof Bun !== "undefined") return new Bun.CryptoHasher("sha256").update(text).digest("hex");
  const crypto = process.getBuiltinModule("node:crypto") as typeof import("node:crypto");
  return crypto.createHash("sha256").update(text).digest("hex");
}
