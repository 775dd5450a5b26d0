// The hook files under shells/, embedded as text at build time.
declare module "*.bash" {
  const text: string;
  export default text;
}
declare module "*.zsh" {
  const text: string;
  export default text;
}
declare module "*.ps1" {
  const text: string;
  export default text;
}
declare module "*.fish" {
  const text: string;
  export default text;
}
declare module "*.nu" {
  const text: string;
  export default text;
}
declare module "*.elv" {
  const text: string;
  export default text;
}
declare module "*.tcsh" {
  const text: string;
  export default text;
}
declare module "*.xsh" {
  const text: string;
  export default text;
}
