// A release folder served over http on 127.0.0.1, for the installers'
// `--binary URL` / `-Binary URL` tests: what `npm run build:all` writes
// (this machine's binary and SHA256SUMS), with the faults a download can
// meet: a file the server does not have (404), and one cut short mid-way.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ServedFile {
  body: Buffer;
  /** Send the headers for the whole body, then half of it, then close the connection. */
  truncated?: boolean;
}

export interface ReleaseServer {
  /** http://127.0.0.1:<port>/<folder>, with no slash at the end. */
  url: (folder: string) => string;
  /** Every path asked for, in order. */
  requests: string[];
  close: () => Promise<void>;
}

/** Serves folder -> (file name -> file); anything else is a 404. */
export async function serveReleases(folders: Record<string, Record<string, ServedFile>>): Promise<ReleaseServer> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const url = request.url ?? "/";
    requests.push(url);
    const [, folder = "", name = ""] = url.split("/");
    const file = folders[decodeURIComponent(folder)]?.[decodeURIComponent(name)];
    if (!file) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    response.writeHead(200, { "content-type": "application/octet-stream", "content-length": file.body.length });
    if (file.truncated) {
      response.write(file.body.subarray(0, file.body.length >> 1), () => response.socket?.destroy());
    } else {
      response.end(file.body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (folder) => `http://127.0.0.1:${port}/${encodeURIComponent(folder)}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A release folder holding `binary` as `name`, with a SHA256SUMS line for it (of `summed`, by default the binary itself). */
export function releaseFolder(name: string, binary: string, summed: Buffer = readFileSync(binary)): Record<string, ServedFile> {
  const sum = createHash("sha256").update(summed).digest("hex");
  return {
    [name]: { body: readFileSync(binary) },
    SHA256SUMS: { body: Buffer.from(`${sum}  ${name}\n`) },
  };
}

/**
 * The folders the installers' URL tests ask for: "good" (with another
 * platform's binary beside this machine's, which must not be downloaded),
 * "tampered" (SHA256SUMS does not match), "truncated" (the binary is cut
 * short) and "no binary" (SHA256SUMS names it, the server has not got it).
 */
export function serveTestReleases(name: string, binary: string): Promise<ReleaseServer> {
  const good = releaseFolder(name, binary);
  return serveReleases({
    good: { ...good, "venvhook-plan9-mips": { body: Buffer.from("not for this machine") } },
    tampered: releaseFolder(name, binary, Buffer.from("something else")),
    truncated: { ...good, [name]: { body: readFileSync(binary), truncated: true } },
    "no binary": { SHA256SUMS: good.SHA256SUMS! },
  });
}

/**
 * Runs a command without blocking this process's event loop (spawnSync would
 * stop the server above from answering the command's requests).
 */
export function run(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string },
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}
