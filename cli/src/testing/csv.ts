// Test support: an RFC 4180 reader, to read back what `--csv` printed the way a spreadsheet
// would (quoted fields with commas, doubled quotes and line breaks; CRLF between records).

/** The records of a CSV document, each a list of fields; throws on what a spreadsheet would misread. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i += 1;
        if (i < text.length && !',\r\n'.includes(text[i]!))
          throw new Error(`text after a closing quote at ${i}`);
      } else {
        field += ch;
        i += 1;
      }
      continue;
    }
    if (ch === '"') {
      if (field !== '') throw new Error(`a quote inside an unquoted field at ${i}`);
      quoted = true;
      i += 1;
    } else if (ch === ',') {
      record.push(field);
      field = '';
      i += 1;
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] !== '\n') throw new Error(`a bare CR at ${i}`);
      if (ch === '\n') throw new Error(`a bare LF at ${i}: records end in CRLF`);
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else {
      field += ch;
      i += 1;
    }
  }
  if (quoted) throw new Error('an unclosed quote');
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** Records as objects keyed by the header row; every record must have the header's width. */
export function csvObjects(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error('no header row');
  return rows.map((row, n) => {
    if (row.length !== header.length)
      throw new Error(`record ${n + 1} has ${row.length} fields, the header ${header.length}`);
    return Object.fromEntries(header.map((h, k) => [h, row[k]!]));
  });
}
