from inkslop.cli import main

main()
