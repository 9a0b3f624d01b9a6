export const APP_NAME = 'New app';

export function App() {
  return (
    <>
      <header className="app-header">
        <h1>{APP_NAME}</h1>
      </header>
      <main>
        <p>The UI goes here; the API answers under /api.</p>
      </main>
    </>
  );
}
