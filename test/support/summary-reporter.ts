// Ends the run with one plain line, `tests: N passed, N failed, N skipped`, that CI reads.
import { writeSync } from "node:fs";
import type { File, Task } from "vitest";
import type { Reporter } from "vitest/reporters";

export default class SummaryReporter implements Reporter {
  onFinished(files: File[] = []): void {
    const count = { passed: 0, failed: 0, skipped: 0 };
    const visit = (task: Task): void => {
      if (task.type === "suite") {
        // A file that failed to load has no tests, and still fails the run.
        if (task.tasks.length === 0 && task.result?.state === "fail") count.failed++;
        return task.tasks.forEach(visit);
      }
      const state = task.result?.state;
      if (state === "pass") count.passed++;
      else if (state === "fail") count.failed++;
      else count.skipped++;
    };
    files.forEach(visit);
    writeSync(1, `tests: ${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped\n`);
  }
}
