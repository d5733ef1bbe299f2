import { expect } from 'chai';
import {
  InsecureRegistryError,
  InvalidReferenceError,
  formatReference,
  isLoopbackHost,
  parseReference,
} from '../../../../agent/images/index.ts';

const D = `sha256:${'a'.repeat(64)}`;

describe('image reference parsing', () => {
  const cases: {
    text: string;
    defaultRegistry?: string;
    want: { scheme: string; registry: string; repository: string; tag?: string; digest?: string };
  }[] = [
    {
      text: 'busybox',
      want: {
        scheme: 'https',
        registry: 'docker.io',
        repository: 'library/busybox',
        tag: 'latest',
      },
    },
    {
      text: 'redis:7',
      want: { scheme: 'https', registry: 'docker.io', repository: 'library/redis', tag: '7' },
    },
    {
      text: 'team/app:v1.2',
      want: { scheme: 'https', registry: 'docker.io', repository: 'team/app', tag: 'v1.2' },
    },
    {
      text: 'docker.io/library/redis',
      want: { scheme: 'https', registry: 'docker.io', repository: 'library/redis', tag: 'latest' },
    },
    {
      text: 'index.docker.io/redis',
      want: { scheme: 'https', registry: 'docker.io', repository: 'library/redis', tag: 'latest' },
    },
    {
      text: 'quay.io/org/sub/app:1',
      want: { scheme: 'https', registry: 'quay.io', repository: 'org/sub/app', tag: '1' },
    },
    {
      text: '127.0.0.1:5000/test/busybox:1',
      want: { scheme: 'http', registry: '127.0.0.1:5000', repository: 'test/busybox', tag: '1' },
    },
    {
      text: 'localhost/app',
      want: { scheme: 'http', registry: 'localhost', repository: 'app', tag: 'latest' },
    },
    {
      text: 'https://127.0.0.1:5000/app:1',
      want: { scheme: 'https', registry: '127.0.0.1:5000', repository: 'app', tag: '1' },
    },
    {
      text: 'http://[::1]:5000/app',
      want: { scheme: 'http', registry: '[::1]:5000', repository: 'app', tag: 'latest' },
    },
    {
      text: `busybox@${D}`,
      want: { scheme: 'https', registry: 'docker.io', repository: 'library/busybox', digest: D },
    },
    {
      text: `r.example.com:443/a/b:t@${D}`,
      want: {
        scheme: 'https',
        registry: 'r.example.com:443',
        repository: 'a/b',
        tag: 't',
        digest: D,
      },
    },
    {
      text: 'app:1',
      defaultRegistry: 'http://127.0.0.1:5000',
      want: { scheme: 'http', registry: '127.0.0.1:5000', repository: 'app', tag: '1' },
    },
    {
      text: 'app',
      defaultRegistry: 'mirror.example.com',
      want: { scheme: 'https', registry: 'mirror.example.com', repository: 'app', tag: 'latest' },
    },
    {
      text: 'docker.io/a.b-c__d/e',
      want: { scheme: 'https', registry: 'docker.io', repository: 'a.b-c__d/e', tag: 'latest' },
    },
  ];
  for (const c of cases) {
    it(`parses ${c.text}${c.defaultRegistry ? ` with default ${c.defaultRegistry}` : ''}`, () => {
      const ref = parseReference(
        c.text,
        c.defaultRegistry ? { defaultRegistry: c.defaultRegistry } : {},
      );
      expect({ ...ref }).to.deep.equal({ tag: undefined, digest: undefined, ...c.want });
    });
  }

  const invalid = [
    '',
    'UPPER/case',
    'app:bad tag',
    'app@sha256:123',
    `app@sha512:${'a'.repeat(128)}`,
    'ftp://host.example/app',
    'http://app',
    'a//b',
    'app:',
    '-app',
  ];
  for (const text of invalid) {
    it(`refuses "${text}" as an invalid reference`, () => {
      expect(() => parseReference(text)).to.throw(InvalidReferenceError);
    });
  }

  it('refuses plain http to a non-loopback registry, explicit or by default', () => {
    expect(() => parseReference('http://registry.example.com/app')).to.throw(
      InsecureRegistryError,
      /loopback/,
    );
    expect(() => parseReference('app', { defaultRegistry: 'http://10.0.0.1:5000' })).to.throw(
      InsecureRegistryError,
    );
  });

  it('formats the canonical reference without the scheme', () => {
    expect(formatReference(parseReference(`http://127.0.0.1:5000/a/b:1@${D}`))).to.equal(
      `127.0.0.1:5000/a/b:1@${D}`,
    );
    expect(formatReference(parseReference('busybox'))).to.equal('docker.io/library/busybox:latest');
  });

  it('knows loopback hosts', () => {
    for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]'])
      expect(isLoopbackHost(h), h).to.equal(true);
    for (const h of ['10.0.0.1', 'example.com', '128.0.0.1', 'localhost.example.com'])
      expect(isLoopbackHost(h), h).to.equal(false);
  });
});
