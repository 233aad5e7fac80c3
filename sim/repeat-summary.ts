// How tests, benchmarks and the demo check recognise a repeat's one summary in its thread: by its heading, which
// says what is known ("Requests sent: …", then "Finished: …" or "Stopped following after 60 min: …").
const SUMMARY_HEADING = /^(Requests sent|Finished|Stopped following(?: after \d+ min)?):/m;

/** True for a summary's text (or any text with a line that starts like one). */
export function isRepeatSummary(text: string): boolean {
  return SUMMARY_HEADING.test(text);
}
