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
