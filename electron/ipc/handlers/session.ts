import { verifyPin } from '../../users/users.ts';
import type { SessionView } from '../contract.ts';
import type { DomainHandlers, Till } from './deps.ts';

export function sessionHandlers(t: Till): DomainHandlers<'session' | 'login' | 'logout' | 'activity'> {
  return {
    session: () => t.sessionView(),

    login: ({ code, pin }) => {
      t.session.login(verifyPin(t.ctx, code, pin));
      t.changed();
      return t.sessionView() as SessionView;
    },

    // Typing or choosing on the card without a call: use of the counter all the same (the idle lock counts it).
    activity: () => null,

    logout: () => {
      t.session.logout();
      t.changed();
      return null;
    },
  };
}
