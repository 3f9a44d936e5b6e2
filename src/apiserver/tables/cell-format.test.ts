import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLabels, formatLabelSelector, labelSelectorString } from './cell-format.js';

test('label selectors print as labels.Selector.String()', () => {
  assert.equal(labelSelectorString(undefined), '');
  assert.equal(labelSelectorString({}), '');
  assert.equal(
    labelSelectorString({
      matchLabels: { tier: 'web', app: 'shop' },
      matchExpressions: [
        { key: 'env', operator: 'NotIn', values: ['prod', 'dev'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'zone', operator: 'Exists' },
        { key: 'ver', operator: 'In', values: ['1'] },
      ],
    }),
    'app=shop,!canary,env notin (dev,prod),tier=web,ver in (1),zone',
  );
  assert.equal(labelSelectorString({ matchExpressions: [{ key: 'a', operator: 'In' }] }), undefined);
  assert.equal(labelSelectorString({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }), undefined);
  assert.equal(formatLabelSelector(undefined), '<none>');
  assert.equal(formatLabelSelector({}), '<none>');
  assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }), '<error>');
});

test('label maps sort as whole k=v strings', () => {
  assert.equal(formatLabels(undefined), '<none>');
  assert.equal(formatLabels({}), '<none>');
  assert.equal(formatLabels({ a: '1', 'a.b': '2', B: '3' }), 'B=3,a.b=2,a=1');
});
