// Secrecy proposals (004 §5.1.5): which levels one may propose, and when a decision needs a reason.
import { SECRECY } from "./kinds";
import type { Secrecy } from "./kinds";

/** The levels one may propose instead of `current`: none above one's own clearance. */
export function proposable(clearance: Secrecy, current: Secrecy): Secrecy[] {
  const highest = SECRECY.indexOf(clearance);
  return SECRECY.filter((level, rank) => rank <= highest && level !== current);
}

/** Whether a proposal lowers the level: approving it then needs a reason, as refusing always does. */
export function lowers(current: Secrecy, proposed: Secrecy): boolean {
  return SECRECY.indexOf(proposed) < SECRECY.indexOf(current);
}

/** Whether a decision needs the decider's reason. */
export function reasonNeeded(approve: boolean, current: Secrecy, proposed: Secrecy): boolean {
  return !approve || lowers(current, proposed);
}
