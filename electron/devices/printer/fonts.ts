import { fileURLToPath } from 'node:url';
import { GlobalFonts } from '@napi-rs/canvas';

/**
 * Be Vietnam Pro (SIL OFL 1.1, fonts/OFL.txt), from @expo-google-fonts/be-vietnam-pro 0.4.1: designed for
 * Vietnamese, so every stacked diacritic (ầ, ẫ, ự) has its own glyph. Medium rather than Regular because
 * thin strokes break up on a 203 dpi thermal head.
 */
export const BODY_FAMILY = 'DiemThu Receipt';
export const BOLD_FAMILY = 'DiemThu Receipt Bold';

let registered = false;

export function registerReceiptFonts(): void {
  if (registered) return;
  const load = (file: string, family: string) => {
    if (GlobalFonts.registerFromPath(fileURLToPath(new URL(`./fonts/${file}`, import.meta.url)), family) === null) {
      throw new Error(`cannot load receipt font ${file}`);
    }
  };
  load('BeVietnamPro_500Medium.ttf', BODY_FAMILY);
  load('BeVietnamPro_700Bold.ttf', BOLD_FAMILY);
  registered = true;
}
