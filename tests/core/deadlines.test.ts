/**
 * Deadlines on the shared timer fire once, in order, on time; cancelled ones never fire, however
 * many of them pile up behind a slow one.
 */

import { expect, test } from "bun:test";
import { armDeadline } from "../../src/core/deadlines.ts";

test("deadlines fire in order, no earlier than their time, and cancelled ones never", async () => {
  const fired: string[] = [];
  const startedAt = performance.now();
  let firstAt = 0;
  armDeadline(150, () => {
    firstAt = performance.now();
    fired.push("a");
  });
  const b = armDeadline(150, () => fired.push("b"));
  armDeadline(150, () => fired.push("c"));
  b.cancel();
  await Bun.sleep(10);
  armDeadline(150, () => fired.push("d"));
  await Bun.sleep(20);
  expect(fired).toEqual([]);
  await Bun.sleep(250);
  expect(fired).toEqual(["a", "c", "d"]);
  expect(firstAt - startedAt).toBeGreaterThanOrEqual(149);
});

test("deadlines of another length keep their own time", async () => {
  const fired: string[] = [];
  armDeadline(300, () => fired.push("long"));
  armDeadline(15, () => fired.push("short"));
  await Bun.sleep(100);
  expect(fired).toEqual(["short"]);
  await Bun.sleep(300);
  expect(fired).toEqual(["short", "long"]);
});

test("thousands cancelled between live ones neither fire nor delay the ones after", async () => {
  const fired: number[] = [];
  const first = armDeadline(30, () => fired.push(-1));
  for (let i = 0; i < 5000; i++) armDeadline(30, () => fired.push(i)).cancel();
  armDeadline(30, () => fired.push(5000));
  first.cancel();
  first.cancel();
  await Bun.sleep(70);
  expect(fired).toEqual([5000]);
});

test("a failing action does not stop the deadlines behind it", async () => {
  const fired: string[] = [];
  armDeadline(20, () => {
    throw new Error("broken");
  });
  armDeadline(20, () => fired.push("after"));
  await Bun.sleep(60);
  expect(fired).toEqual(["after"]);
});
