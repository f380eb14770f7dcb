import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { unfoldTelex, unfoldTelexChar } from '../../src/scan/telex.ts';

describe('unfoldTelex', () => {
  it("maps Đắk Lắk's unit codes back from their Telex artefacts", () => {
    assert.equal(unfoldTelex('PC12Â0012345'), 'PC12AA0012345');
    assert.equal(unfoldTelex('PC12Đ0012345'), 'PC12DD0012345');
    assert.equal(unfoldTelex('PC12Ê0012345'), 'PC12EE0012345');
  });

  it('maps every modifier and tone to its key, modifier before tone', () => {
    const cases: [string, string][] = [
      ['Ô', 'OO'], ['Ă', 'AW'], ['Ơ', 'OW'], ['Ư', 'UW'], ['đ', 'dd'],
      ['Á', 'AS'], ['À', 'AF'], ['Ả', 'AR'], ['Ã', 'AX'], ['Ạ', 'AJ'],
      ['Ấ', 'AAS'], ['ộ', 'ooj'], ['Ữ', 'UWX'], ['ặ', 'awj'], ['Ý', 'YS'],
    ];
    for (const [char, keys] of cases) assert.equal(unfoldTelexChar(char), keys, char);
  });

  it('reads a decomposed (NFD) paste the same as a composed one', () => {
    assert.equal(unfoldTelex('PC12A\u0302'), 'PC12AA');
  });

  it('gives W alone for Ư when the input method erased no U before it', () => {
    assert.equal(unfoldTelexChar('Ư', { loneW: true }), 'W');
    assert.equal(unfoldTelexChar('ứ', { loneW: true }), 'ws');
  });

  it('leaves letters Telex never produces alone', () => {
    for (const char of ['Ñ', 'ç', 'Ö', 'Ǹ', '€']) assert.equal(unfoldTelexChar(char), char);
  });

  it('never changes plain ASCII', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-./ ') }), (s) => unfoldTelex(s) === s));
  });
});
