import { addUser, listUsers } from '../../users/users.ts';
import { queueTestPage } from '../../printing/print-jobs.ts';
import { readSettingsView, writeSettingsView } from '../settings-view.ts';
import { listDevices } from '../../devices/device-list.ts';
import type { DomainHandlers, Till } from './deps.ts';

/** The settings screen: the settings, the users, the printer's test page, the devices plugged in. */
export function settingsHandlers(t: Till): DomainHandlers<'settingsGet' | 'settingsSet' | 'usersList' | 'userAdd' | 'printerTestPage' | 'deviceList'> {
  const { ctx, session } = t;
  return {
    settingsGet: () => {
      session.requireUser();
      return readSettingsView(ctx);
    },

    settingsSet: ({ supervisor: credentials, values }) => {
      const who = t.supervisor(credentials);
      writeSettingsView(ctx, values, who.id);
      if (values.scanner !== undefined) t.scanner.restart?.();
      t.changed();
      return readSettingsView(ctx);
    },

    usersList: ({ supervisor: credentials }) => {
      t.supervisor(credentials);
      return listUsers(ctx)
        .map(({ id, code, name, role, active }) => ({ id, code, name, role, active }))
        .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    },

    userAdd: ({ supervisor: credentials, secondSupervisor, user }) => {
      const approvedBy = [t.supervisor(credentials).id];
      if (secondSupervisor !== undefined) approvedBy.push(t.supervisor(secondSupervisor).id);
      return addUser(ctx, { ...user, approvedBy });
    },

    printerTestPage: () => {
      session.requireUser();
      queueTestPage(ctx);
      t.printed();
      return null;
    },

    deviceList: () => {
      session.requireUser();
      return listDevices(t.deviceSources);
    },
  };
}
