import { AppError } from '../../../electron/core/errors.ts';
import { requireMigrated } from '../../db/migrate.ts';
import { buildApp } from '../../http/app.ts';
import { serverCertificate } from '../../http/tls.ts';
import { stringOption, type ServerCommand } from '../command.ts';

function listenAddress(text: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(text);
  const port = m === null ? NaN : Number(m[2]);
  if (m === null || port > 65535) throw new AppError('CLI_BAD_ARGS', `--listen phải có dạng <địa chỉ>:<cổng>, ví dụ 0.0.0.0:8443 (nhận được "${text}").`);
  return { host: m[1]!, port };
}

export const serveCommand: ServerCommand = {
  name: 'serve',
  usage: 'serve --listen <host:port> [--cert <tệp.pem> --key <tệp.pem>] [--tls-dir <thư mục>]',
  options: { listen: { type: 'string' }, cert: { type: 'string' }, key: { type: 'string' }, 'tls-dir': { type: 'string' } },
  async run({ values, db, io, json, stopped }) {
    const listen = stringOption(values, 'listen');
    if (listen === undefined) throw new AppError('CLI_BAD_ARGS', `Cách dùng: diemthu-server ${serveCommand.usage}`);
    const { host, port } = listenAddress(listen);
    await requireMigrated(db());
    const certFile = stringOption(values, 'cert');
    const keyFile = stringOption(values, 'key');
    const tls = await serverCertificate({
      ...(certFile === undefined ? {} : { certFile }),
      ...(keyFile === undefined ? {} : { keyFile }),
      dir: stringOption(values, 'tls-dir') ?? io.env.DIEMTHU_SERVER_TLS_DIR ?? 'diemthu-server-tls',
    });
    const app = buildApp(db(), tls);
    try {
      await app.listen({ host, port });
    } catch (error) {
      throw new AppError('SERVE_LISTEN_FAILED', `Không mở được cổng ${listen}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
    }
    const address = app.server.address();
    const url = typeof address === 'object' && address !== null ? `https://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}` : listen;
    const info = { url, fingerprint: tls.fingerprint, certFile: tls.certFile, certificateCreated: tls.created };
    io.stdout.write(
      json
        ? JSON.stringify({ ok: true, value: info }) + '\n'
        : [
            `Máy chủ đồng bộ đang chạy tại ${url} (chỉ HTTPS).`,
            `${tls.created ? 'Đã tạo chứng chỉ tự ký' : 'Chứng chỉ'}: ${tls.certFile}`,
            `Dấu vân tay SHA-256 (ghim vào cài đặt của mỗi điểm thu): ${tls.fingerprint}`,
          ].join('\n') + '\n',
    );
    await stopped;
    await app.close();
  },
};
