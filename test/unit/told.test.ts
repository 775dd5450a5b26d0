import { expect, it } from "vitest";
import { addTold, toldKey, wasTold } from "../../src/shared/told.ts";

it("remembers what was said, by short keys", () => {
  const a = toldKey("not-allowed\0/p/.venv");
  const b = toldKey("not-allowed\0/q/.venv");
  expect(a).toMatch(/^[0-9a-z]+$/);
  expect(a).not.toBe(b);
  const told = addTold(addTold(undefined, a), b);
  expect(wasTold(told, a) && wasTold(told, b)).toBe(true);
  expect(wasTold(told, toldKey("other"))).toBe(false);
  expect(wasTold("", a)).toBe(false);
});
