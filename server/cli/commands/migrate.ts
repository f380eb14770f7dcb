import { migrate, serverMigrations } from '../../db/migrate.ts';
import type { ServerCommand } from '../command.ts';

export const migrateCommand: ServerCommand = {
  name: 'migrate',
  usage: 'migrate',
  options: {},
  async run({ db }) {
    const applied = await migrate(db());
    const version = serverMigrations.at(-1)!.version;
    return {
      json: { applied, version },
      text: applied.length === 0 ? `Cơ sở dữ liệu đã ở phiên bản ${version}: không có gì phải nâng cấp.` : `Đã nâng cấp cơ sở dữ liệu: bước ${applied.join(', ')}; phiên bản ${version}.`,
    };
  },
};
