import { useState } from 'preact/hooks';
import { api, describeError } from '../api.js';
import { href, navigate, queryParam } from '../router.js';
import { signIn } from '../session.js';
import { ErrorMessage, Field, PageTitle } from '../ui.js';

function useSubmit(run: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await run();
    } catch (caught) {
      setError(describeError(caught));
      setBusy(false);
    }
  };
  return { busy, error, submit };
}

export function SignInPage({ path }: { path: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    await signIn(email, password);
    navigate(queryParam(path, 'next') ?? '/');
  });
  return (
    <section class="narrow">
      <PageTitle>Sign in</PageTitle>
      <form onSubmit={(event) => void submit(event)} aria-label="Sign in">
        <Field label="Email">
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </Field>
        <Field label="Password">
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </Field>
        <ErrorMessage error={error} />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      <p>
        New here? <a href={href('/register')}>Create an account</a>
      </p>
    </section>
  );
}

export function RegisterPage() {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    await api.register({ email, password, name });
    await signIn(email, password);
    navigate('/');
  });
  return (
    <section class="narrow">
      <PageTitle>Create an account</PageTitle>
      <form onSubmit={(event) => void submit(event)} aria-label="Register">
        <Field label="Name">
          <input autoComplete="name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <Field label="Email">
          <input
            type="email"
            autoComplete="email"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </Field>
        <Field label="Password">
          <input
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            maxLength={128}
            aria-describedby="password-hint"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </Field>
        <p id="password-hint" class="hint">
          8 to 128 characters.
        </p>
        <ErrorMessage error={error} />
        <button type="submit" disabled={busy}>
          Create account
        </button>
      </form>
      <p>
        Already registered? <a href={href('/signin')}>Go to the sign-in form</a>
      </p>
    </section>
  );
}
