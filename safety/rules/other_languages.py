"""Crisis, refused and advice phrases in the languages visitors most often write besides English.

Verbatim answers in English only, but a crisis message must be seen in any language.  These are
phrases, over normalised text (accents dropped: "más" is "mas"), not a language detector: which
language a message is in is `safety.language`'s job.
"""
from __future__ import annotations

from safety.rules.vocabulary import rule

RULES = (
    rule(
        "crisis.other_language",
        "suicidal intent, self-harm or an overdose, in Spanish, Portuguese, French, German or Italian",
        # Spanish
        r"(?:quiero|quisiera|voy a|pienso|pensando en|ganas de) (?:morir(?:me)?|matarme|suicidarme|desaparecer"
        r"|quitarme la vida|acabar con (?:todo|mi vida)|hacerme dano|cortarme)",
        r"me (?:quiero|voy a) (?:morir|matar|suicidar|cortar)",
        # ("suicida" and "suicidas" reach the rules as "suicide" and "suicidal": near-misses are corrected)
        r"suicid(?:arme|arse|io)|soy (?:suicide|suicidal)|(?:ideas|pensamientos) (?:suicidas|suicidal|suicide|de (?:morir"
        r"|muerte|suicidio))",
        r"no (?:quiero|puedo) (?:vivir|seguir)(?: viviendo)?(?: (?:mas|asi))?|ya no (?:puedo|aguanto)(?: mas)?"
        r"|no aguanto mas|no vale la pena vivir|(?:estarian|estaria|estan) mejor sin mi|adios a todos"
        r"|carta de despedida|quitarme la vida|acabar con mi vida|hacerme dano|me corto|cortarme",
        r"sobredosis|(?:tome|me tome|tomo|tomamos|se tomo) (?:muchas|demasiadas|todas (?:las|mis)) (?:pastillas"
        r"|pildoras|tabletas)|(?:no respira|no despierta|no reacciona|labios (?:azules|morados))",
        # Portuguese
        r"(?:quero|vou|penso em) (?:morrer|me matar|acabar com (?:tudo|a minha vida)|sumir)|me matar"
        r"|suicidio|nao (?:quero|aguento) (?:mais )?viver|nao aguento mais|tomei (?:muitos|muitas|todos os"
        r"|todas as) (?:comprimidos|remedios|pilulas)|nao (?:esta )?respira",
        # French
        r"(?:je veux|j ai envie de|envie de|je vais) (?:mourir|me tuer|en finir|disparaitre)|me suicider"
        r"|je ne veux plus vivre|je n en peux plus|(?:trop|beaucoup) de (?:cachets|pilules|comprimes)"
        r"|ne respire (?:plus|pas)",
        # German
        r"(?:ich will|ich mochte|ich werde) (?:sterben|mich umbringen|nicht mehr leben|mir das leben nehmen)"
        r"|mich umbringen|selbstmord|suizid|nicht mehr leben|(?:zu viele|alle) (?:tabletten|pillen)"
        r"|atmet nicht",
        # Italian
        r"(?:voglio|vorrei|sto per) (?:morire|uccidermi|farla finita|ammazzarmi)|uccidermi|ammazzarmi"
        r"|suicidio|farla finita|non voglio piu vivere|troppe (?:pillole|pastiglie)|non respira",
    ),
    rule(
        "refused.other_language",
        "buying drugs or getting them without a prescription, in Spanish or Portuguese",
        r"(?:donde|como|quien) (?:puedo |se puede |podria )?(?:comprar|conseguir) (?:ketamine|ketamina|drogas"
        r"|pastillas|keta)|comprar (?:ketamine|ketamina|keta)|sin receta|(?:onde|como) (?:posso )?comprar"
        r" (?:ketamine|cetamina|drogas)|sem receita|pasar (?:un|el) (?:examen|test|antidoping) de (?:drogas"
        r"|orina)",
    ),
    rule(
        "advice.other_language",
        "what the asker or someone close should take, stop or dose, in Spanish or Portuguese",
        r"(?:debo|deberia|puedo|podria|tengo que) (?:tomar|dejar|empezar|probar|mezclar|combinar|usar)"
        r"|(?:es|sera) (?:seguro|peligroso) para (?:mi|mi hijo|mi hija|el|ella)|que dosis (?:debo|deberia|tomo)"
        r"|(?:devo|deveria|posso) (?:tomar|parar|usar|misturar)|e seguro para mim",
    ),
)
