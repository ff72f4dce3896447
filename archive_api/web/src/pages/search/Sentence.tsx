// A sentence of the catalogue around words someone typed: the words are data, shown as text
// and marked so that no translation (the browser's, or a check of the page's language) takes
// them for the UI's own. Not <Trans>: it would read tags in the typed words as markup.
const SLOT = "\uE000"; // a private-use character: in no catalogue and typed by nobody

export function Sentence({ say, words }: { say: (slot: string) => string; words: string }) {
  const [before, after = ""] = say(SLOT).split(SLOT);
  return (
    <>
      {before}
      <span translate="no">{words}</span>
      {after}
    </>
  );
}
