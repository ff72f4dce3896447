// Marking the words found in a snippet. The server sends the snippet as plain text and the
// query's terms spelled as the snippet is (folded to simplified, lower case); the page cuts
// the text into pieces and React renders each as text, so nothing the server sends is markup.

export interface Piece {
  text: string;
  match: boolean;
}

/** A snippet cut into pieces, those where a term occurs marked; overlapping or adjacent terms
 * (保证, 证金) make one mark (保证金). */
export function marked(snippet: string, terms: string[]): Piece[] {
  const spans: [number, number][] = [];
  for (const term of new Set(terms)) {
    if (!term) continue;
    for (let at = snippet.indexOf(term); at >= 0; at = snippet.indexOf(term, at + 1)) {
      spans.push([at, at + term.length]);
    }
  }
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [start, end] of spans) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  const pieces: Piece[] = [];
  let done = 0;
  for (const [start, end] of merged) {
    if (start > done) pieces.push({ text: snippet.slice(done, start), match: false });
    pieces.push({ text: snippet.slice(start, end), match: true });
    done = end;
  }
  if (done < snippet.length) pieces.push({ text: snippet.slice(done), match: false });
  return pieces;
}
