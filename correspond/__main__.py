from correspond.cli import main

main()
