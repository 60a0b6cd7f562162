from langchain_codemode.cli import main

raise SystemExit(main())
