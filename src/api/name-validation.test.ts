import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nameIsDNSSubdomain, nameValidatorFor } from './name-validation.js';

describe('nameValidatorFor', () => {
  it('uses a DNS label for namespaces', () => {
    const validate = nameValidatorFor({ group: '', kind: 'Namespace' });
    assert.deepEqual(validate('kube-system', false), []);
    assert.deepEqual(validate('a.b', false), ['must not contain dots']);
  });

  it('uses a DNS-1035 label for services', () => {
    const validate = nameValidatorFor({ group: '', kind: 'Service' });
    assert.deepEqual(validate('web', false), []);
    assert.equal(validate('1web', false).length, 1);
  });

  it('uses DNS subdomains for most kinds', () => {
    for (const [group, kind] of [
      ['', 'Pod'],
      ['', 'ConfigMap'],
      ['', 'Secret'],
      ['', 'ServiceAccount'],
      ['', 'Node'],
      ['', 'Endpoints'],
      ['apps', 'Deployment'],
      ['apps', 'ReplicaSet'],
      ['coordination.k8s.io', 'Lease'],
      ['events.k8s.io', 'Event'],
      ['batch', 'Job'],
      ['example.com', 'Widget'],
    ] as const) {
      const validate = nameValidatorFor({ group, kind });
      assert.deepEqual(validate('a.b-c', false), [], kind);
      assert.equal(validate('A', false).length, 1, kind);
    }
  });

  it('uses path segment rules for RBAC kinds', () => {
    for (const kind of ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']) {
      const validate = nameValidatorFor({ group: 'rbac.authorization.k8s.io', kind });
      assert.deepEqual(validate('system:controller:Foo', false), []);
      assert.deepEqual(validate('a/b', false), ["may not contain '/'"]);
      assert.deepEqual(validate('..', false), ["may not be '..'"]);
      assert.deepEqual(validate('..', true), []);
    }
  });

  it('accepts any name for core events (upstream skips their metadata validation)', () => {
    assert.deepEqual(nameValidatorFor({ group: '', kind: 'Event' })('Not.A_Subdomain', false), []);
  });

  it('limits cronjob names to 52 characters', () => {
    const validate = nameValidatorFor({ group: 'batch', kind: 'CronJob' });
    assert.deepEqual(validate('a'.repeat(52), false), []);
    assert.deepEqual(validate('a'.repeat(53), false), ['must be no more than 52 characters']);
    assert.deepEqual(validate('a'.repeat(53), true), []);
  });

  it('lets a generateName prefix end in a dash', () => {
    assert.deepEqual(nameIsDNSSubdomain('web-', true), []);
    assert.equal(nameIsDNSSubdomain('web-', false).length, 1);
    assert.deepEqual(nameIsDNSSubdomain('-', true).length, 1);
  });
});
