// pyvenv.cfg is untrusted text: parse it the way CPython's site.py does
// (key = value per line, keys case-insensitive) and never interpret values.

export interface PyvenvConfig {
  /** `prompt`, with the quotes `python -m venv --prompt` writes stripped. */
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
    const name = stripQuotes(prompt);
    if (name) config.prompt = name;
  }
  const version = values.get("version") ?? values.get("version_info");
  if (version) config.version = version;
  const home = values.get("home");
  if (home) config.home = home;
  return config;
}

function stripQuotes(value: string): string {
  const first = value[0];
  if (value.length >= 2 && (first === "'" || first === '"') && value.endsWith(first)) {
    return value.slice(1, -1);
  }
  return value;
}
