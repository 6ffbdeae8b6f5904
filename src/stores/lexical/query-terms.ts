/**
 * English function words left out of keyword queries. FTS5 has no stop-word support, and
 * OR-ing words such as "the" or "what" makes a search walk nearly every row of the index for
 * terms whose BM25 weight is close to nothing. Hand-written: a short fixed list, the same
 * idea as PostgreSQL's 'english' configuration applies on the other backend.
 */
const stopWords = new Set(
  (
    'a about above after again against all am an and any are as at be because been before ' +
    'being below between both but by can could did do does doing down during each few for ' +
    'from further had has have having he her here hers herself him himself his how i if in ' +
    'into is it its itself just me more most my myself no nor not now of off on once only or ' +
    'other our ours ourselves out over own same she should so some such than that the their ' +
    'theirs them themselves then there these they this those through to too under until up ' +
    'very was we were what when where which while who whom why will with would you your ' +
    'yours yourself yourselves tell say said also get got let lets us ' +
    // Words of questions about conversations ("summarize what was said in the discussion
    // about X", "what did Ana think when discussing Y") that name no topic of their own.
    'summarize summarise summary discuss discussed discussing discussion talk talked talking ' +
    'mention mentioned think thought'
  ).split(' '),
);

/** Most distinct terms one query searches for: a pasted paragraph stays a bounded query. */
const maxTerms = 32;

/** The distinct lowercase content words of a query, in order of first appearance. */
export function queryTerms(query: string): string[] {
  const words = query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const terms = [...new Set(words.filter((word) => !stopWords.has(word)))];
  return terms.slice(0, maxTerms);
}
