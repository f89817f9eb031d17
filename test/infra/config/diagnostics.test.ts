/** A diagnostic's English text is derived from its catalogue references, and reads like a stored field. */
import { compareDiagnostics, diagnostic, formatDiagnostic, localizeDiagnostic } from '../../../infra/config/diagnostics';
import { formatMessage, msg } from '../../../infra/config/messages';

const at = { file: 'config/cooperatives/x.yaml', line: 3, col: 5 };
const message = msg('cli.new-exists');
const hint = msg('cli.new-exists.hint');

describe('diagnostic', () => {
  test('message and hint are the English of the references', () => {
    const d = diagnostic(at, 'error', 'file-exists', message, hint);
    expect(d.message).toBe(formatMessage('en', message));
    expect(d.hint).toBe(formatMessage('en', hint));
    expect(d.text).toEqual({ message, hint });
  });

  test('spreads, serializes and compares as a plain object, keys in the same order', () => {
    const d = diagnostic(at, 'error', 'file-exists', message, hint);
    const plain = { ...at, severity: 'error', code: 'file-exists', message: 'the file already exists', hint: 'edit it, choose another id, or pass --force to overwrite', text: { message, hint } };
    expect({ ...d }).toEqual(plain);
    expect(JSON.stringify(d)).toBe(JSON.stringify(plain));
    expect(d).toEqual(plain);
    expect(Object.keys(diagnostic(at, 'warning', 'file-exists', message))).toEqual(['file', 'line', 'col', 'severity', 'code', 'message', 'text']);
  });

  test('is shown in the run\'s language, and sorts by its English text', () => {
    const d = diagnostic(at, 'error', 'file-exists', message, hint);
    expect(formatDiagnostic(d, 'ko')).toBe('config/cooperatives/x.yaml:3:5 error file-exists 파일이 이미 있습니다 (파일을 고치거나, 다른 id를 고르거나, 덮어쓰려면 --force를 주세요)');
    expect(localizeDiagnostic(d, 'ko')).toEqual({ ...at, severity: 'error', code: 'file-exists', message: '파일이 이미 있습니다', hint: '파일을 고치거나, 다른 id를 고르거나, 덮어쓰려면 --force를 주세요' });
    const other = diagnostic(at, 'error', 'file-exists', msg('cli.new-no-template', { file: 'x' }));
    // "no template at x" < "the file already exists"
    expect([d, other].sort(compareDiagnostics)).toEqual([other, d]);
  });
});
