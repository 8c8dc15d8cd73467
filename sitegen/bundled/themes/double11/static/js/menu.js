/* Menu button of the double11 theme's header, on narrow screens (site.css folds the
   navigation there): opens and closes the navigation it controls, tells assistive
   technology with aria-expanded, and closes on Escape, giving the focus back to the
   button. Without JavaScript the navigation is shown unfolded (base.html's noscript). */
(() => {
  'use strict';
  const button = document.querySelector('[data-menu-button]');
  if (!button) return;
  const open = () => button.getAttribute('aria-expanded') === 'true';
  const show = (yes) => button.setAttribute('aria-expanded', String(yes));
  button.addEventListener('click', () => show(!open()));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && open()) {
      show(false);
      button.focus();
    }
  });
})();
