from dutygraph.cli import main

main()
