/** The CLI's help text, shown by `layerlab --help` and after a usage error. */
export const usage = `Usage: layerlab <command> [options]

Commands:
  summary FILE [--model NAME] [--json]   Keras-style summary of every model in FILE
  train FILE [--model NAME] [--quick] [--epochs N] [--limit N] [--backend B] [--threads N] [--report OUT.html] [--json]
                                         train the models of the file's train block
  tune FILE [--model NAME] [--quick] [--limit N] [--backend B] [--threads N] [--overwrite] [--extend] [--json]
                                         hyperparameter search of the file's tune block
  report FOLDER... --out FILE.html       saved runs (compared) or a search as one HTML file
  export FILE [--model NAME] [--out FILE.py]
                                         a runnable Keras 3 script: the model, its data and training
  import FILE.py|FILE.ipynb [--out FILE.model] [--no-repeat]
                                         Keras code or a notebook as a .model file
  graph FILE [--model NAME] --out FILE.svg|FILE.png [--theme light|dark] [--by params|memory] [--fold]
                                         the model's graph, laid out top to bottom, as SVG or PNG
  lsp --stdio                            the language server, for any LSP editor

Options:
  --model NAME   only this model
  --json         machine-readable output
  -h, --help     this help (layerlab COMMAND --help: that command's options)

Exit status: 0 without errors, 1 when FILE has errors, 2 for usage problems.`;
