// The sign-in dialog: email and password, the server's answer (wrong password, too many tries)
// under the field it concerns. A native <dialog>, so Escape closes it and focus stays inside.
import type { Me } from '@atalaya/api';
import { ApiError } from '../api/client';
import { signIn } from '../api/session';
import type { Lang, MessageKey } from '../i18n';
import { translate } from '../i18n';

export function openSignIn(dialog: HTMLDialogElement, lang: Lang, done: (me: Me) => void): void {
  const t = (k: MessageKey) => translate(lang, k);
  dialog.replaceChildren();
  const form = document.createElement('form');
  form.className = 'edit-form';
  const h = document.createElement('h2');
  h.id = 'sign-in-title';
  h.textContent = t('signIn');
  const field = (name: string, label: MessageKey, type: string, autocomplete: string) => {
    const l = document.createElement('label');
    l.htmlFor = `sign-in-${name}`;
    l.textContent = t(label);
    const input = document.createElement('input');
    input.id = `sign-in-${name}`;
    input.name = name;
    input.type = type;
    input.required = true;
    input.autocomplete = autocomplete as AutoFill;
    const err = document.createElement('p');
    err.className = 'field-error';
    err.id = `sign-in-${name}-error`;
    input.setAttribute('aria-describedby', err.id);
    form.append(l, input, err);
    return { input, err };
  };
  const email = field('email', 'email', 'email', 'username');
  const password = field('password', 'password', 'password', 'current-password');
  const submit = document.createElement('button');
  submit.type = 'submit';
  submit.textContent = t('signIn');
  const cancel = document.createElement('button');
  cancel.type = 'button';
  cancel.textContent = t('cancel');
  cancel.addEventListener('click', () => dialog.close());
  form.prepend(h);
  form.append(submit, ' ', cancel);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    email.err.textContent = email.input.value.includes('@') ? '' : 'name@example.org';
    password.err.textContent = '';
    if (email.err.textContent) return email.input.focus();
    submit.disabled = true;
    void signIn(email.input.value, password.input.value)
      .then((me) => {
        dialog.close();
        done(me);
      })
      .catch((err: unknown) => {
        submit.disabled = false;
        password.err.textContent = err instanceof ApiError ? err.message : String(err);
        password.input.setAttribute('aria-invalid', 'true');
        password.input.focus();
      });
  });
  dialog.append(form);
  dialog.showModal();
  email.input.focus();
}
