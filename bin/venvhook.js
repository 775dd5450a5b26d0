#!/usr/bin/env node
// venvhook under plain Node (npm i -g): the same program as the compiled
// binary, bundled for Node by `npm run build`. The compiled binary starts much faster.
import "../dist/venvhook.mjs";
