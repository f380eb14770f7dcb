/**
 * Wires the keyboard-wedge detector (wedge.ts) to window keydown in the capture phase, so a scan is
 * seen wherever the focus is (home, search, a half-typed amount). Keys the detector holds are
 * stopped; when they turn out to be a person typing they are given back: inserted at the caret of
 * the focused field, or re-sent as key events to the screen's shortcuts (R, V, ...). Text the quiet timer
 * gave back too early (a busy machine hands a scan's keys over late) is taken back from the field.
 */
import { useEffect, useRef } from 'react';
import { createWedgeDetector } from './wedge.ts';

function isEditable(element: Element | null): element is HTMLInputElement | HTMLTextAreaElement {
  return (element instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit'].includes(element.type)) || element instanceof HTMLTextAreaElement;
}

/** Gives held keys back as what they would have done. */
function release(text: string): void {
  const focused = document.activeElement;
  if (isEditable(focused)) {
    // insertText goes through the browser's editing path: React sees an ordinary input event.
    document.execCommand('insertText', false, text);
    return;
  }
  for (const key of text) {
    (focused ?? document.body).dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  }
}

/** Takes back text release() just typed into the focused field, when it still stands right before the caret. */
function retract(text: string): boolean {
  const focused = document.activeElement;
  if (!isEditable(focused)) return false;
  const end = focused.selectionStart;
  if (end === null || end !== focused.selectionEnd || focused.value.slice(Math.max(0, end - text.length), end) !== text) return false;
  focused.setSelectionRange(end - text.length, end);
  return document.execCommand('delete');
}

export function useWedgeScanner(onScan: (code: string) => void, enabled: boolean): void {
  const latest = useRef(onScan);
  useEffect(() => {
    latest.current = onScan;
  }, [onScan]);
  useEffect(() => {
    if (!enabled) return;
    const detector = createWedgeDetector({ onScan: (code) => latest.current(code), onRelease: release, onRetract: retract });
    const onKey = (event: KeyboardEvent) => {
      if (!event.isTrusted) return; // our own re-sent keys
      if (detector.handleKey(event) === 'consumed') {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    };
    const onBlur = () => detector.flush();
    window.addEventListener('keydown', onKey, true);
    window.addEventListener('blur', onBlur);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      window.removeEventListener('blur', onBlur);
      detector.dispose();
    };
  }, [enabled]);
}
