import { changePin, verifyPin } from '../../users/users.ts';
import { finishSetup, setUpPoint } from '../../users/first-run.ts';
import type { SessionView } from '../contract.ts';
import type { DomainHandlers, Till } from './deps.ts';

export function sessionHandlers(t: Till): DomainHandlers<'session' | 'login' | 'logout' | 'activity' | 'setupPoint' | 'setupFinish' | 'changePin'> {
  return {
    session: () => t.sessionView(),

    login: ({ code, pin }) => {
      t.session.login(verifyPin(t.ctx, code, pin));
      t.changed();
      return t.sessionView() as SessionView;
    },

    setupPoint: (request) => {
      t.session.login(setUpPoint(t.ctx, request));
      t.changed();
      return t.sessionView() as SessionView;
    },

    changePin: (request) => {
      changePin(t.ctx, request);
      return null;
    },

    setupFinish: ({ supervisor }) => {
      finishSetup(t.ctx, t.supervisor(supervisor));
      t.changed();
      return null;
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
