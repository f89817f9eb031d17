import { stringify, parse } from 'yaml';
import type { ConfigSources } from '../../../infra';
import { generateSources } from '../../../infra/testing/synthetic';
import { compileAt, positionOf, korean } from '../../support/config';

// Generated sources, not config/: adding a cooperative file must never change this test.
const base = generateSources({ n: 12, seed: 7 });

function withPlatform(edit: (doc: any) => void): ConfigSources {
  const doc = parse(base.platform.text);
  edit(doc);
  return { ...base, platform: { ...base.platform, text: stringify(doc) } };
}
const modelCoop = () => base.cooperatives.find((c) => /image: /.test(c.text) && /models:/.test(c.text))!;

describe('idc.allowedRegistries', () => {
  test('generated sources whose images are all under the allowed registry compile', () => {
    expect(modelCoop()).toBeDefined();
    const result = compileAt(base);
    expect(result.diagnostics).toEqual([]);
    expect(result.plan!.platform.idc.allowedRegistries).toEqual(['registry.idc.kbiz.or.kr']);
  });

  test('the plan lists the registries sorted and once each', () => {
    const sources = withPlatform((d) => (d.idc.allowedRegistries = ['registry.idc.kbiz.or.kr', 'harbor.kbiz.or.kr:5000/mirror', 'registry.idc.kbiz.or.kr']));
    expect(compileAt(sources).plan!.platform.idc.allowedRegistries).toEqual(['harbor.kbiz.or.kr:5000/mirror', 'registry.idc.kbiz.or.kr']);
  });

  test('fails when the platform declares no allowed registry', () => {
    const sources = withPlatform((d) => delete d.idc.allowedRegistries);
    const result = compileAt(sources);
    expect(result.plan).toBeUndefined();
    expect(result.diagnostics.some((d) => d.file === base.platform.displayPath && /allowedRegistries/.test(`${d.message} ${d.hint ?? ''}`))).toBe(true);
  });

  test.each([['https://registry.idc.kbiz.or.kr'], ['registry.idc.kbiz.or.kr/'], ['Registry.IDC']])('fails when a registry is written as %s', (bad) => {
    const sources = withPlatform((d) => (d.idc.allowedRegistries = [bad]));
    const result = compileAt(sources);
    expect(result.plan).toBeUndefined();
    const [d] = result.diagnostics;
    expect(d.file).toBe(base.platform.displayPath);
    expect(d.message).toMatch(/registry host/);
    expect({ line: d.line }).toEqual({ line: positionOf(sources.platform.text, bad).line });
  });

  test('fails when a model image comes from a registry the platform does not allow, at the image', () => {
    const sources = withPlatform((d) => (d.idc.allowedRegistries = ['harbor.kbiz.or.kr']));
    const result = compileAt(sources);
    expect(result.plan).toBeUndefined();
    const coop = modelCoop();
    const found = result.diagnostics.filter((d) => d.code === 'image-registry-not-allowed' && d.file === coop.displayPath);
    expect(found.length).toBeGreaterThan(0);
    const image = /image: (\S+)/.exec(coop.text)![1];
    expect(found[0]).toMatchObject(positionOf(coop.text, image));
    expect(found[0].message).toContain(image);
    expect(korean(found[0]).message).toMatch(/허용되지 않은 레지스트리/);
    expect(found[0].message).toContain('harbor.kbiz.or.kr');
    expect(found[0].hint).toMatch(/harbor\.kbiz\.or\.kr/);
  });

  test('fails when a shared-server image comes from a registry the platform does not allow', () => {
    const sources = withPlatform((d) => (d.idc.allowedRegistries = ['harbor.kbiz.or.kr']));
    const found = compileAt(sources).diagnostics.filter((d) => d.code === 'image-registry-not-allowed' && d.file === base.platform.displayPath);
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(/registry\.idc\.kbiz\.or\.kr\/shared\/machinery@sha256/);
  });

  test('a prefix admits only its own host: registry.idc.kbiz.or.kr does not admit registry.idc.kbiz.or.kr.evil.example', () => {
    const coop = modelCoop();
    const evil = coop.text.replace(/image: registry\.idc\.kbiz\.or\.kr\//, 'image: registry.idc.kbiz.or.kr.evil.example/');
    const sources = { ...base, cooperatives: base.cooperatives.map((c) => (c === coop ? { ...c, text: evil } : c)) };
    const found = compileAt(sources).diagnostics.filter((d) => d.code === 'image-registry-not-allowed');
    expect(found.map((d) => d.file)).toEqual([coop.displayPath]);
  });

  test('a path prefix admits images below it and nothing beside it', () => {
    const sources = withPlatform((d) => (d.idc.allowedRegistries = ['registry.idc.kbiz.or.kr/shared']));
    const found = compileAt(sources).diagnostics.filter((d) => d.code === 'image-registry-not-allowed');
    expect(found.some((d) => d.file === base.platform.displayPath)).toBe(false);
    expect(found.some((d) => d.file === modelCoop().displayPath)).toBe(true);
  });
});
