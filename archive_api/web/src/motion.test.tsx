import { act, cleanup, render, screen } from "@testing-library/react";
import { afterEach, expect, it, vi } from "vitest";
import { useReducedMotion } from "./motion";

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** A system setting the test can change, as a reader changes it while the page is open. */
function systemSetting(reduce: boolean) {
  const listeners = new Set<() => void>();
  const setting = { reduce };
  vi.spyOn(window, "matchMedia").mockImplementation(
    (query: string) =>
      ({
        matches: query === "(prefers-reduced-motion: reduce)" && setting.reduce,
        media: query,
        addEventListener: (_: string, listener: () => void) => listeners.add(listener),
        removeEventListener: (_: string, listener: () => void) => listeners.delete(listener),
      }) as unknown as MediaQueryList,
  );
  return {
    change(next: boolean) {
      setting.reduce = next;
      listeners.forEach((listener) => listener());
    },
    listening: () => listeners.size,
  };
}

function Motion() {
  return <span>{useReducedMotion() ? "still" : "moving"}</span>;
}

it("follows the reader's reduce-motion setting, also when it changes", () => {
  const setting = systemSetting(true);
  render(<Motion />);
  expect(screen.getByText("still")).toBeTruthy();
  act(() => setting.change(false));
  expect(screen.getByText("moving")).toBeTruthy();
  cleanup();
  expect(setting.listening()).toBe(0);
});
