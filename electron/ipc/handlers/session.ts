import { verifyPin } from '../../users/users.ts';
import type { SessionView } from '../contract.ts';
import type { DomainHandlers, Till } from './deps.ts';

export function sessionHandlers(t: Till): DomainHandlers<'session' | 'login' | 'logout'> {
  return {
    session: () => t.sessionView(),

    login: ({ code, pin }) => {
      t.session.login(verifyPin(t.ctx, code, pin));
      t.changed();
      return t.sessionView() as SessionView;
    },

    logout: () => {
      t.session.logout();
      t.changed();
      return null;
    },
  };
}
