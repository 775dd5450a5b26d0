// pyvenv.cfg is untrusted text: parse it the way CPython's site.py does
// (key = value per line, keys case-insensitive) and never interpret values.

export interface PyvenvConfig {
  /** `prompt`, as given to `python -m venv --prompt` (which writes its repr). */
  prompt?: string;
  /** The Python version the env was made with (`version` or `version_info`). */
  version?: string;
  /** The base interpreter's folder. */
  home?: string;
}

export function parsePyvenvCfg(text: string): PyvenvConfig {
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim().toLowerCase();
    if (key && !values.has(key)) values.set(key, line.slice(eq + 1).trim());
  }
  const config: PyvenvConfig = {};
  const prompt = values.get("prompt");
  if (prompt !== undefined) {
    const name = unquote(prompt);
    if (name) config.prompt = name;
  }
  const version = values.get("version") ?? values.get("version_info");
  if (version) config.version = pythonVersion(version);
  const home = values.get("home");
  if (home) config.home = home;
  return config;
}

const RELEASE_LEVELS: Record<string, string> = { alpha: "a", beta: "b", candidate: "rc" };

/**
 * A version as Python prints it (3.11.2, 3.13.0rc1): venv writes that, while
 * virtualenv (and so Poetry and Pipenv) writes sys.version_info joined
 * (3.11.2.final.0); anything else is kept as it is.
 */
function pythonVersion(value: string): string {
  const info = /^(\d+\.\d+\.\d+)\.(final|alpha|beta|candidate)\.(\d+)$/.exec(value);
  if (!info) return value;
  const [, release, level, serial] = info;
  return level === "final" ? release! : `${release}${RELEASE_LEVELS[level!]}${serial}`;
}

/** Python's repr of a str, as venv writes it, decoded; anything else as it is (virtualenv writes the prompt bare). */
function unquote(value: string): string {
  const first = value[0];
  if (value.length < 2 || (first !== "'" && first !== '"') || !value.endsWith(first)) return value;
  return value.slice(1, -1).replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[\\'"nrt])/g, (_, escape: string) => {
    const simple: Record<string, string> = { "\\": "\\", "'": "'", '"': '"', n: "\n", r: "\r", t: "\t" };
    if (escape in simple) return simple[escape]!;
    const code = Number.parseInt(escape.slice(1), 16);
    return code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : `\\${escape}`;
  });
}
