// SHA-256 of a short text. In the compiled binary, bun's native hasher: importing
// node:crypto there costs ~3 ms of startup on every directory change. Under
// plain Node, node:crypto, loaded only when a hash is needed.
type Encoding = "hex" | "base64url";
declare const Bun: { CryptoHasher: new (algorithm: "sha256") => { update(text: string): { digest(): Uint8Array } } } | undefined;

export function sha256(text: string, encoding: Encoding = "hex"): string {
  if (typeof Bun !== "undefined") return Buffer.from(new Bun.CryptoHasher("sha256").update(text).digest()).toString(encoding);
  const crypto = process.getBuiltinModule("node:crypto") as typeof import("node:crypto");
  return crypto.createHash("sha256").update(text).digest(encoding);
}
