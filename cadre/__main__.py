from cadre.cli import console

console()
