// Forms marked data-progress="<id>" reveal that status element (a <progress> and a sentence)
// when submitted, so an officer uploading a large workbook sees that it is being read.
for (const form of document.querySelectorAll("form[data-progress]")) {
  form.addEventListener("submit", () => {
    const status = document.getElementById(form.dataset.progress);
    if (status) {
      status.hidden = false;
    }
  });
}
