// PEP 440 version specifiers, for `requires-python`. A project that pip
// accepts must work here too, so the grammar and the matching follow
// pypa/packaging (what pip uses), including its leniencies: `v` prefixes,
// spelling variants of pre/post/dev (`alpha`, `-r1`), any letter case,
// whitespace around operators and commas, and empty clauses (`>=3.8,`). The
// one exception: a bare `===`, which can match nothing, is an error.
// Numbers are BigInt so a long number in untrusted text compares exactly.

export type Operator = "~=" | "==" | "!=" | "<=" | ">=" | "<" | ">" | "===";

export interface Clause {
  operator: Operator;
  /** The version as written, without the operator, whitespace or a `.*` wildcard. */
  version: string;
  /** `==3.11.*` or `!=3.10.*`: the release must start with `version`. */
  wildcard: boolean;
}

interface Version {
  epoch: bigint;
  release: bigint[];
  /** Rank (a < b < rc) and number. */
  pre?: [number, bigint];
  post?: bigint;
  dev?: bigint;
  /** Normalized: lowercase, `.`-separated. */
  local?: string;
}

// Groups: epoch, release, pre-release letter and number, post number (`-N`
// or `.postN`), dev number, local label.
const VERSION =
  /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(alpha|beta|preview|pre|a|b|c|rc)[-_.]?(\d*))?(?:-(\d+)|[-_.]?(?:post|rev|r)[-_.]?(\d*))?(?:[-_.]?dev[-_.]?(\d*))?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$/i;
const WILDCARD_PREFIX = /^v?(?:\d+!)?\d+(?:\.\d+)*$/i;
const CLAUSE = /^(===|~=|==|!=|<=|>=|<|>)\s*(.*)$/s;
const PRE_RANK: Record<string, number> = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2, pre: 2, preview: 2 };

/** Whether `version` (a release such as "3.12.1") meets every clause of `specifier`. */
export function satisfies(version: string, specifier: string): boolean {
  const candidate = parseVersion(version);
  if (!candidate) throw new Error(`${quote(version)} is not a PEP 440 version`);
  return parseSpecifier(specifier).every((clause) => matches(version, candidate, clause));
}

export function parseSpecifier(specifier: string): Clause[] {
  return specifier
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .map((part) => {
      const problem = clauseProblem(part);
      if (problem) throw new Error(`invalid version specifier ${quote(specifier)}: ${problem}`);
      const [, operator, rest] = CLAUSE.exec(part)!;
      const wildcard = operator !== "===" && rest!.endsWith(".*");
      return { operator: operator as Operator, version: wildcard ? rest!.slice(0, -2) : rest!, wildcard };
    });
}

function clauseProblem(clause: string): string | undefined {
  const quoted = quote(clause);
  const match = CLAUSE.exec(clause);
  if (!match) return `${quoted} does not start with an operator (>=, <=, >, <, ==, !=, ~=, ===)`;
  const operator = match[1] as Operator;
  const rest = match[2]!;
  if (rest === "") return `${quoted} has no version`;
  if (operator === "===") return /^[^\s;)]+$/.test(rest) ? undefined : `${quoted} is not a single word`;
  if (rest.endsWith(".*")) {
    if (operator !== "==" && operator !== "!=") return `${quoted}: only == and != take a .* wildcard`;
    return WILDCARD_PREFIX.test(rest.slice(0, -2)) ? undefined : `${quoted}: a .* wildcard must follow a release such as 3.11`;
  }
  const version = parseVersion(rest);
  if (!version) return `${quoted}: ${quote(rest)} is not a PEP 440 version`;
  if (version.local !== undefined && operator !== "==" && operator !== "!=") {
    return `${quoted}: only == and != take a local version (+...)`;
  }
  if (operator === "~=" && version.release.length < 2) return `${quoted}: ~= needs at least two release numbers, as in ~=3.0`;
  return undefined;
}

function parseVersion(text: string): Version | undefined {
  const m = VERSION.exec(text.trim());
  if (!m) return undefined;
  const [, epoch, release, preLetter, preNumber, implicitPost, post, dev, local] = m;
  const version: Version = { epoch: BigInt(epoch ?? 0), release: release!.split(".").map(BigInt) };
  if (preLetter !== undefined) version.pre = [PRE_RANK[preLetter.toLowerCase()]!, BigInt(preNumber || 0)];
  if (implicitPost !== undefined) version.post = BigInt(implicitPost);
  else if (post !== undefined) version.post = BigInt(post || 0);
  if (dev !== undefined) version.dev = BigInt(dev || 0);
  if (local !== undefined) version.local = local.toLowerCase().replace(/[-_]/g, ".");
  return version;
}

function matches(text: string, candidate: Version, clause: Clause): boolean {
  if (clause.operator === "===") return text.trim().toLowerCase() === clause.version.toLowerCase();
  if (clause.wildcard) {
    const equal = startsWithRelease(candidate, parseVersion(clause.version)!);
    return clause.operator === "==" ? equal : !equal;
  }
  const spec = parseVersion(clause.version)!;
  // Locals are ignored unless the specifier names one (only == and != can).
  const order = compare(candidate, spec);
  switch (clause.operator) {
    case "==":
      return order === 0 && (spec.local === undefined || candidate.local === spec.local);
    case "!=":
      return !(order === 0 && (spec.local === undefined || candidate.local === spec.local));
    case ">=":
      return order >= 0;
    case "<=":
      return order <= 0;
    // `<3.13` must not admit 3.13.0rc1: below 3.13.dev0, the first pre-release of 3.13.
    case "<":
      return compare(candidate, isPre(spec) ? spec : { ...spec, dev: 0n }) < 0;
    // `>3.12` must not admit 3.12.post1 (nor 3.12+local, which compares equal here).
    case ">":
      return order > 0 && !(candidate.post !== undefined && spec.post === undefined && spec.dev === undefined && samePre(candidate, spec));
    case "~=": {
      const prefix = { ...spec, release: spec.release.slice(0, -1) };
      return order >= 0 && startsWithRelease(candidate, prefix);
    }
  }
}

/** Quoted and escaped for a one-line message, and cut short: the text may be a whole file's worth. */
function quote(text: string): string {
  return JSON.stringify(text.length > 100 ? `${text.slice(0, 100)}…` : text);
}

function isPre(version: Version): boolean {
  return version.pre !== undefined || version.dev !== undefined;
}

/** Equal up to post, dev and local: 3.12.post1 is a post-release of 3.12.0. */
function samePre(a: Version, b: Version): boolean {
  return a.epoch === b.epoch && compareNumbers(a.release, b.release) === 0 && compareNumbers(preKey(a), preKey(b)) === 0;
}

/** Prefix matching for wildcards: the candidate's release, zero-padded, starts with the prefix's. */
function startsWithRelease(candidate: Version, prefix: Version): boolean {
  return candidate.epoch === prefix.epoch && prefix.release.every((n, i) => (candidate.release[i] ?? 0n) === n);
}

/** PEP 440 ordering without local labels: epoch, release, then dev < pre < final < post. */
function compare(a: Version, b: Version): number {
  return (
    sign(a.epoch - b.epoch) ||
    compareNumbers(a.release, b.release) ||
    compareNumbers(preKey(a), preKey(b)) ||
    compareNumbers(postKey(a), postKey(b)) ||
    compareNumbers(devKey(a), devKey(b))
  );
}

/** 3.11.dev1 sorts before 3.11a1, a final release after any pre-release. */
function preKey(v: Version): bigint[] {
  if (v.pre) return [0n, BigInt(v.pre[0]), v.pre[1]];
  return [v.post === undefined && v.dev !== undefined ? -1n : 1n, 0n, 0n];
}

function postKey(v: Version): bigint[] {
  return v.post === undefined ? [-1n, 0n] : [0n, v.post];
}

function devKey(v: Version): bigint[] {
  return v.dev === undefined ? [1n, 0n] : [0n, v.dev];
}

/** Zero-padded, so releases 3.11 and 3.11.0 are equal. */
function compareNumbers(a: readonly bigint[], b: readonly bigint[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const order = sign((a[i] ?? 0n) - (b[i] ?? 0n));
    if (order) return order;
  }
  return 0;
}

function sign(n: bigint): number {
  return n > 0n ? 1 : n < 0n ? -1 : 0;
}
