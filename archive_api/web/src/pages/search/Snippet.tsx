// A snippet of a document's text with the words found marked; always rendered as text.
import { marked } from "./highlight";

export function Snippet({ text, terms }: { text: string; terms: string[] }) {
  return (
    <p className="hit-snippet">
      {marked(text, terms).map((piece, n) => (piece.match ? <mark key={n}>{piece.text}</mark> : piece.text))}
    </p>
  );
}
