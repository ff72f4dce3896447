// The unified social credit code (统一社会信用代码, GB 32100-2015), checked as it is typed: the
// same rules as the server's ingest.uscc, so a code the form accepts the API accepts too.

/** The 31 characters of the code: digits and capitals without I, O, S, V, Z. */
export const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS = Array.from({ length: 17 }, (_, i) => 3 ** i % 31);
const SHAPE = new RegExp(`^[${ALPHABET}]{2}[0-9]{6}[${ALPHABET}]{10}$`);

/** The 18th character that GB 32100-2015 computes from the first 17. */
export function checkCharacter(first17: string): string {
  let total = 0;
  for (let i = 0; i < 17; i++) total += ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  return ALPHABET[(31 - (total % 31)) % 31];
}

/** What is wrong with a code, as a catalogue key under `customers.uscc`, or null if nothing. */
export type UsccProblem = "length" | "characters" | "check";

/** The code as the server keeps it: capitals, no surrounding spaces. */
export function normalUscc(code: string): string {
  return code.trim().toUpperCase();
}

/** Why `code` is not a valid unified social credit code, or null if it is. */
export function usccProblem(code: string): UsccProblem | null {
  const normal = normalUscc(code);
  if (normal.length !== 18) return "length";
  if (!SHAPE.test(normal)) return "characters";
  return normal[17] === checkCharacter(normal.slice(0, 17)) ? null : "check";
}
