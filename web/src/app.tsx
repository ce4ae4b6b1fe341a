import { cart } from './cart.js';
import { AdminPage } from './pages/admin.js';
import { CartPage } from './pages/cart.js';
import { CatalogPage } from './pages/catalog.js';
import { NotificationsPage } from './pages/notifications.js';
import { OperatorPage } from './pages/operator.js';
import { OrderPage } from './pages/order.js';
import { OrdersPage } from './pages/orders.js';
import { ProductPage } from './pages/product.js';
import { RegisterPage, SignInPage } from './pages/account.js';
import { href, match, navigate, usePath } from './router.js';
import { session, signOut } from './session.js';
import { useStore } from './store.js';
import { PageTitle } from './ui.js';

function Header() {
  const current = useStore(session);
  const lines = useStore(cart);
  const count = lines.reduce((sum, line) => sum + line.quantity, 0);
  const isAdmin = current?.me.role === 'admin';
  return (
    <header class="top">
      <a class="brand" href={href('/')}>
        durable-shop
      </a>
      <nav aria-label="Main">
        <ul>
          <li>
            <a href={href('/')}>Catalog</a>
          </li>
          <li>
            <a href={href('/cart')} aria-label="Cart" aria-describedby="cart-count">
              Cart{' '}
              <span id="cart-count" class="badge">
                {count === 1 ? '1 item' : `${count} items`}
              </span>
            </a>
          </li>
          {current ? (
            <>
              <li>
                <a href={href('/orders')}>Orders</a>
              </li>
              <li>
                <a href={href('/notifications')}>Notifications</a>
              </li>
              {isAdmin ? (
                <>
                  <li>
                    <a href={href('/admin')}>Admin</a>
                  </li>
                  <li>
                    <a href={href('/operator')}>Operator</a>
                  </li>
                </>
              ) : null}
              <li>
                <button
                  type="button"
                  class="link"
                  onClick={() => {
                    signOut();
                    navigate('/');
                  }}
                >
                  Sign out
                </button>
              </li>
            </>
          ) : (
            <>
              <li>
                <a href={href('/signin')}>Sign in</a>
              </li>
              <li>
                <a href={href('/register')}>Register</a>
              </li>
            </>
          )}
        </ul>
      </nav>
      {current ? <p class="who">Signed in as {current.me.name}</p> : null}
    </header>
  );
}

function Route({ path }: { path: string }) {
  let params: Record<string, string> | null;
  if (match('/', path)) return <CatalogPage path={path} />;
  if ((params = match('/products/:id', path))) return <ProductPage id={params.id!} />;
  if (match('/signin', path)) return <SignInPage path={path} />;
  if (match('/register', path)) return <RegisterPage />;
  if (match('/cart', path)) return <CartPage />;
  if (match('/orders', path)) return <OrdersPage />;
  if ((params = match('/orders/:id', path))) return <OrderPage id={params.id!} />;
  if (match('/notifications', path)) return <NotificationsPage />;
  if (match('/admin', path)) return <AdminPage />;
  if (match('/operator', path)) return <OperatorPage />;
  return <PageTitle>Page not found</PageTitle>;
}

export function App() {
  const path = usePath();
  return (
    <>
      <a
        class="skip"
        href="#main"
        onClick={(event) => (event.preventDefault(), document.getElementById('main')?.focus())}
      >
        Skip to content
      </a>
      <Header />
      <main id="main" tabIndex={-1}>
        <Route key={path} path={path} />
      </main>
    </>
  );
}
