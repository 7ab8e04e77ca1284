"""Names and places for the synthetic case sets (synthetic.py), most common first.

Written for correspond: a mix of the names English councils see, so that namesakes,
known-as names and accents come up as often as they do in real case loads.
"""

BOYS = """Muhammad Oliver Noah George Leo Arthur Harry Oscar Jack Charlie Jacob Freddie Alfie
Theo Thomas William Henry Archie Isaac Joshua James Lucas Max Ethan Adam Mohammed Logan
Alexander Reggie Finley Teddy Daniel Samuel Joseph Tommy Alfred Sebastian Dylan Elijah
Harrison Zachary Jaxon Louis Albie Ezra Yusuf Ibrahim Ali Omar Ayaan Hamza Zayn Aryan
Arjun Rohan Kacper Jakub Szymon Filip Antoni Liam Conor Cian Oisin Rhys Dafydd Callum
Jayden Tyrone Kwame Kofi Chidi Emeka Tobi David Michael Matthew Ryan Jamie Kai Leon Ronan
Tomasz Mateusz Yousef Idris Bilal Musa Abdi Mustafa Hassan Hussain Amir Zain Reuben Jude
Felix Hugo Rory Finn Otis Stanley Frankie Edward Ronnie Benjamin Nathan Tyler Riley Aaron
Ewan Kian Levi Rowan Luca Gabriel Nicholas Christopher Patrick Sean Ciaran Andrei Luka
Xavier Jaylen Malachi Micah Ezekiel Jonah Caleb Owen Evan Aiden Aidan Jake Jack""".split()

GIRLS = """Olivia Amelia Isla Ava Ivy Freya Lily Florence Mia Willow Rosie Sophia Isabella
Grace Daisy Sienna Poppy Elsie Emily Ella Evelyn Phoebe Sofia Evie Charlotte Harper Millie
Matilda Maya Sophie Alice Emilia Isabelle Ruby Luna Maisie Aria Penelope Mila Bonnie Eva
Hallie Eliza Ada Violet Esme Arabella Imogen Jessica Delilah Layla Maryam Aisha Fatima
Zainab Hafsa Khadija Amira Zara Ayesha Inaya Anaya Priya Diya Aaliyah Zofia Julia Lena
Maja Hanna Niamh Aoife Saoirse Siobhan Ciara Cerys Seren Nia Megan Chloe Hannah Lucy
Amara Chioma Adaeze Abena Ama Nkechi Precious Blessing Favour Tiana Keisha Jada Nevaeh
Alexandra Elizabeth Katherine Catherine Victoria Rebecca Samantha Eleanor Margaret Abigail
Zoe Zoë Chloé Ellie Lola Leah Holly Scarlett Erin Molly Jasmine Yasmin Hibah Iman Safa
Amina Hodan Ayan Sahra Ioana Maria Elena Anastasia Mei Xin Lin Ngoc Thuy Ella Ellie Lexi
Sasha Georgia Lauren Bethany Abbie Paige Courtney Kayla""".split()

SURNAMES = """Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts
Robinson Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel
Jackson Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison
Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell
Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall
Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray
Mason Ali Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler
Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey Graham Pearson Ahmed Fletcher
Walsh Kaur Gibson Howard Andrews Stewart Elliott Reynolds Saunders Payne Fox Ford Pearce Day
Brooks West Lawrence Cole Atkinson Bradley Spencer Gill Dawson Ball Burton O'Brien Watts
Rose Booth Perry Ryan Grant Wells Armstrong Francis Rees Hayes Hart Hudson Newman Barrett
Webster Hunter Gregory Carr Lowe Page Marsh Riley Dunn Woods Parsons Berry Stone Reid
Holland Hawkins Harding Porter Robertson Newton Oliver Reed Kennedy Williamson Bird Gardner
Shah Dean Lane Cooke Bates Henderson Parry Burgess Bishop Walton Burns Nicholson Shepherd
Ross Cross Long Freeman Warren Nicholls Hamilton Byrne Sutton McDonald Yates Hodgson
Robson Curtis Hopkins O'Connor Harper Coleman Watkins Moss McCarthy Chambers O'Neill
Griffin Sharp Hardy Wheeler Potter Osborne Johnston Gordon Doyle Wallace George Jordan
Hutchinson Rahman Miah Uddin Islam Hossain Akhtar Iqbal Mahmood Malik Mirza Chaudhry
Bibi Sharma Kumar Mistry Chauhan Parmar Solanki Joshi Sandhu Dhillon Gill Bains Nowak
Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak
Okafor Okonkwo Adeyemi Adebayo Olaniyan Mensah Owusu Boateng Asante Osei Agyeman Nwosu
Eze Obi Mohamed Mohamud Abdi Hassan Warsame Farah Yusuf Ibrahim Omar Nguyen Tran Pham
Le Chen Wang Li Zhang Liu Wong Popescu Ionescu Popa Yilmaz Kaya Demir Şahin Çelik Costa
Silva Santos Ferreira Pereira Rodrigues Murphy O'Sullivan McCann Ní-Bhriain Fitzgerald
Campbell-Smith Ashworth Bhatt Desai Pillay Naidoo Achterberg Da-Silva Van-Dyke""".split()

RARE_START = """Bal Cor Dra Fen Gal Hav Ist Jor Kel Lom Mav Nor Orl Pem Quil Rav Sel Tov
Ulv Var Wen Yar Zed Ash Bram Cal Del Esk Fal Gor Hal Ith Kas Lan Mor Nev Ost Pell Rhos
Sten Tal Ush Vel Wyn Ada Bex Cro Dun""".split()
RARE_MIDDLE = "a e i o u an en in on ar er ir or el il ol ad ed id".split()
RARE_END = """ley ton field wood ham worth by ford well more stone sen ski wicz ova escu
oglu ani ola ike ez ard ick ane ley holt croft""".split()

TOWNS = """Leeds Bradford Wakefield Halifax Huddersfield Harrogate Otley Ilkley Keighley
Pudsey Morley Batley Dewsbury Castleford Pontefract Selby Wetherby Garforth""".split()
PLACES = """Meanwood Allerton Briarwood Headingley Chapel Roundhay Armley Beeston Farsley
Horsforth Kirkstall Moortown Oakwood Rothwell Seacroft Temple Whinmoor Yeadon Alwoodley
Bramley Calverley Drighlington Eccleshill Gildersome Hunslet Idle Kippax Lofthouse Manston
Nostell Ossett Rawdon Shadwell Thorner Wortley Ashfield Birchwood Cedar Elmfield Fernhill
Hollybush Ivybridge Larchfield Maplewood Northgate Oakfield Parkside Queensbury Riverside
Springfield Thornhill Westfield Willow Woodlands Brookside Greenhill Highfield Lowfield
Moorside Netherton Redhill Stonegate Upperthorpe Valley Whitecote Ferncliffe""".split()
PLACE_TWISTS = ["", "", "", "Park", "Green", "Hill", "Lane", "Moor", "Vale", "Bank"]
SAINTS = """Mary's Joseph's Peter's Paul's Anne's Augustine's Bede's Chad's Francis's
Patrick's John's Michael's Teresa's Wilfrid's Hilda's Aidan's Thomas's""".split()
STREETS = """Road Street Avenue Lane Close Drive Crescent Gardens Grove Place Terrace Way
Court View Walk Rise Mount""".split()
POSTCODE_AREAS = "LS BD WF HX HD HG YO S M B BS NE L NG LE CV".split()

# Common known-as names a record may carry for its first name.
KNOWN_AS = {
    "Alfred": ["Alfie", "Alf"], "Alexandra": ["Sasha", "Alex", "Lexi"], "Alexander": ["Alex",
    "Sasha", "Xander"], "William": ["Will", "Billy", "Bill"], "Katherine": ["Kate", "Katie"],
    "Catherine": ["Kate", "Cathy"], "Elizabeth": ["Lizzie", "Libby", "Beth"], "Margaret":
    ["Maggie", "Meg"], "Mohammed": ["Mo"], "Muhammad": ["Mo"], "Thomas": ["Tom", "Tommy"],
    "Edward": ["Ted", "Eddie"], "Theodore": ["Theo", "Teddy"], "Frederick": ["Freddie"],
    "Samuel": ["Sam"], "Benjamin": ["Ben"], "Joseph": ["Joe"], "Daniel": ["Dan", "Danny"],
    "Matthew": ["Matt"], "Nicholas": ["Nick"], "Christopher": ["Chris"], "Jessica": ["Jess"],
    "Isabella": ["Bella", "Izzy"], "Isabelle": ["Izzy"], "Eleanor": ["Ellie", "Nell"],
    "Rebecca": ["Becky"], "Victoria": ["Vicky"], "Samantha": ["Sam"], "Abigail": ["Abbie"],
    "Jakub": ["Kuba"], "Zofia": ["Zosia"], "Aleksandra": ["Ola"], "Oliver": ["Ollie"],
    "Olivia": ["Liv"], "Matilda": ["Tilly"], "Florence": ["Flo"], "Zachary": ["Zac"],
}
