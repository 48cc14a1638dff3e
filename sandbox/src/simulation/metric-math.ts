// CloudWatch metric math as scaling policies and alarms use it: arithmetic (+ - * /, unary
// minus, parentheses, numbers) over the ids of the other queries, e.g. "m1 / m2" for a
// backlog per instance. Parsed once into a small tree; a missing input or a division by zero
// gives no datapoint, as CloudWatch gives none.

export type MathNode =
  | { kind: 'number'; value: number }
  | { kind: 'id'; id: string }
  | { kind: 'negate'; operand: MathNode }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/'; left: MathNode; right: MathNode };

export class MathSyntaxError extends Error {}

/** Longest expression parsed (the service model's limit for a target-tracking query). */
const MAX_EXPRESSION_LENGTH = 2047;
/** Deepest nesting accepted: enough for any honest expression, bounded for hostile ones. */
const MAX_DEPTH = 32;

/** Parse an expression, or throw MathSyntaxError saying what is wrong and where. */
export function parseMathExpression(text: string): MathNode {
  if (text.length > MAX_EXPRESSION_LENGTH)
    throw new MathSyntaxError(`the expression is longer than ${MAX_EXPRESSION_LENGTH} characters`);
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at];
  const fail = (what: string): never => {
    const token = peek();
    throw new MathSyntaxError(
      token ? `${what} at "${token.text}" (character ${token.pos + 1})` : `${what} at its end`,
    );
  };

  const expression = (depth: number): MathNode => {
    if (depth > MAX_DEPTH) fail('the expression nests too deeply');
    let left = term(depth);
    for (let t = peek(); t && (t.text === '+' || t.text === '-'); t = peek()) {
      at++;
      left = { kind: 'binary', op: t.text, left, right: term(depth) };
    }
    return left;
  };
  const term = (depth: number): MathNode => {
    let left = factor(depth);
    for (let t = peek(); t && (t.text === '*' || t.text === '/'); t = peek()) {
      at++;
      left = { kind: 'binary', op: t.text, left, right: factor(depth) };
    }
    return left;
  };
  const factor = (depth: number): MathNode => {
    const t = peek();
    if (!t) return fail('a number, an id or "(" is missing');
    at++;
    if (t.kind === 'number') return { kind: 'number', value: t.value };
    if (t.kind === 'id') {
      if (peek()?.text === '(')
        fail(`the function ${t.text} is not one the Ballast sandbox evaluates (only + - * /)`);
      return { kind: 'id', id: t.text };
    }
    if (t.text === '-') return { kind: 'negate', operand: factor(depth + 1) };
    if (t.text === '(') {
      const inner = expression(depth + 1);
      if (peek()?.text !== ')') fail('")" is missing');
      at++;
      return inner;
    }
    at--;
    return fail('a number, an id or "(" is expected');
  };

  const tree = expression(0);
  if (at < tokens.length) fail('an operator is expected');
  return tree;
}

type Token =
  | { kind: 'number'; value: number; text: string; pos: number }
  | { kind: 'id' | 'symbol'; text: string; pos: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  // Whitespace matches nothing and is skipped; any other character is an error.
  const pattern = /(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/(),])|(\S)/g;
  for (const m of text.matchAll(pattern)) {
    const pos = m.index;
    if (m[1] !== undefined) tokens.push({ kind: 'number', value: Number(m[1]), text: m[1], pos });
    else if (m[2] !== undefined) tokens.push({ kind: 'id', text: m[2], pos });
    else if (m[3] !== undefined) tokens.push({ kind: 'symbol', text: m[3], pos });
    else throw new MathSyntaxError(`unexpected "${m[4]}" (character ${pos + 1}) in the expression`);
  }
  return tokens;
}

/** The ids an expression reads. */
export function mathReferences(node: MathNode, into = new Set<string>()): Set<string> {
  switch (node.kind) {
    case 'id':
      into.add(node.id);
      break;
    case 'negate':
      mathReferences(node.operand, into);
      break;
    case 'binary':
      mathReferences(node.left, into);
      mathReferences(node.right, into);
      break;
    case 'number':
      break;
  }
  return into;
}

/** The value of an expression, undefined when an input has no value or it divides by zero. */
export function evaluateMath(
  node: MathNode,
  value: (id: string) => number | undefined,
): number | undefined {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'id':
      return value(node.id);
    case 'negate': {
      const v = evaluateMath(node.operand, value);
      return v === undefined ? undefined : -v;
    }
    case 'binary': {
      const l = evaluateMath(node.left, value);
      const r = evaluateMath(node.right, value);
      if (l === undefined || r === undefined) return undefined;
      switch (node.op) {
        case '+':
          return l + r;
        case '-':
          return l - r;
        case '*':
          return l * r;
        case '/':
          return r === 0 ? undefined : l / r;
      }
    }
  }
}
