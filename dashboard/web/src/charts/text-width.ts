// How wide an 11 px label is, without measuring the DOM: the layout runs before render and in
// unit tests. System UI fonts average about 6.2 px a character at 11 px (digits 6.1-6.4),
// so the estimate errs a little wide, which only adds space between labels.
const PX_PER_CHAR_AT_11 = 6.3;

export function textWidth(text: string, fontSize = 11): number {
  return Math.ceil(text.length * PX_PER_CHAR_AT_11 * (fontSize / 11));
}
