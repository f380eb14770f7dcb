import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { AppError } from '../../electron/core/errors.ts';
import { writeFileAtomically } from '../files/atomic.ts';

export interface TlsMaterial {
  key: string;
  cert: string;
  /** SHA-256 of the certificate (colon hex): what a point pins in its settings. */
  fingerprint: string;
  /** true: made now (first start), not provided. */
  created: boolean;
  certFile: string;
}

function read(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new AppError('TLS_FILE_UNREADABLE', `Không đọc được ${what} ${file}: ${(error as Error).message}`);
  }
}

function fingerprintOf(cert: string, file: string): string {
  try {
    return new X509Certificate(cert).fingerprint256;
  } catch {
    throw new AppError('TLS_CERT_INVALID', `Tệp ${file} không phải chứng chỉ X.509 (PEM).`);
  }
}

/**
 * The server's certificate: the company's (`--cert`, `--key`) when given; otherwise the one in
 * `dir` (server.crt, server.key), made self-signed on the first start (EC P-256, ten years, names
 * localhost, this host and 127.0.0.1). Its fingerprint is what the points pin.
 */
export async function serverCertificate(args: { certFile?: string; keyFile?: string; dir: string; now?: Date }): Promise<TlsMaterial> {
  if ((args.certFile === undefined) !== (args.keyFile === undefined)) {
    throw new AppError('TLS_PAIR_REQUIRED', 'Cần cả --cert và --key (chứng chỉ của công ty và khóa riêng của nó).');
  }
  if (args.certFile !== undefined && args.keyFile !== undefined) {
    const cert = read(args.certFile, 'chứng chỉ');
    return { key: read(args.keyFile, 'khóa riêng'), cert, fingerprint: fingerprintOf(cert, args.certFile), created: false, certFile: args.certFile };
  }
  const certFile = join(args.dir, 'server.crt');
  const keyFile = join(args.dir, 'server.key');
  if (existsSync(certFile) && existsSync(keyFile)) {
    const cert = read(certFile, 'chứng chỉ');
    return { key: read(keyFile, 'khóa riêng'), cert, fingerprint: fingerprintOf(cert, certFile), created: false, certFile };
  }
  const now = args.now ?? new Date();
  const host = hostname();
  const pems = await generate([{ name: 'commonName', value: `diemthu-server ${host}` }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: now,
    notAfterDate: new Date(now.getTime() + 10 * 365 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 2, value: host }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  mkdirSync(args.dir, { recursive: true, mode: 0o700 });
  // The key first and private: a crash between the two leaves no certificate without its key.
  writeFileAtomically(keyFile, Buffer.from(pems.private, 'utf8'), 0o600);
  writeFileAtomically(certFile, Buffer.from(pems.cert, 'utf8'), 0o644);
  return { key: pems.private, cert: pems.cert, fingerprint: fingerprintOf(pems.cert, certFile), created: true, certFile };
}
