// What a phone user and a screen reader need of a drawer's controls, checked the same way by every browser test.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** The drawer's controls for a finger and a screen reader: each has a name and is at least 32 px tall. */
export async function checkTouchControls(page: Page): Promise<void> {
  const controls = await page.locator('#drawer button, #drawer select, #drawer input, #drawer textarea').evaluateAll((els) => els.map((e) => {
    const el = e as HTMLElement;
    const label = el.getAttribute('aria-label') ?? (el.tagName === 'BUTTON' ? el.textContent : el.closest('label')?.textContent) ?? '';
    const box = (el.closest('label') ?? el).getBoundingClientRect();
    return { tag: el.tagName, label: label.trim(), height: box.height };
  }));
  expect(controls.length).toBeGreaterThan(0);
  for (const c of controls) {
    expect(c.label, `${c.tag} without a name`).not.toBe('');
    expect(c.height, `${c.tag} "${c.label}" too small to touch`).toBeGreaterThanOrEqual(32);
  }
}
